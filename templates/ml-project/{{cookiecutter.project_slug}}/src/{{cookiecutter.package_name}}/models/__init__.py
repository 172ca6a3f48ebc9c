"""Model definitions and training."""
