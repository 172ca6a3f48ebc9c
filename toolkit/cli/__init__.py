"""The ``toolkit`` command line. Command groups live in their own modules and load lazily."""
