"""Synthetic, reproducible demo data for the fictional Gaerwen partnership (``tarian seed``,
``tarian demo``); no real person's data, NHS numbers from the never-issued 999 range.

``write.seed_area(children=N, random_seed=S)`` creates the Gaerwen agencies and N children with
their households, parents, addresses, names and the agencies involved with them;
``agencies.area_agencies()`` returns the main agencies. ``contributions.py`` runs each installed
app's ``demo.py`` (``demo(context)``) in ``DEMO_ORDER``, so ``tarian demo`` names no app.

Modules: ``names``, ``backgrounds`` and ``places`` are the data; ``agencies`` lays out the
agencies; ``plan``, ``naming``, ``families``, ``involvements`` and ``area`` plan rows in memory
from one random generator; ``write`` puts them in the database.
"""
