#!/usr/bin/env python
"""Django's manage.py; the same as the ``tarian`` console command."""

from tarian.cli import main

if __name__ == "__main__":
    main()
