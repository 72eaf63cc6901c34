"""Synthetic, reproducible demo data for the fictional Gaerwen partnership (``tarian seed``).

``seed_area(children=N, random_seed=S)`` creates the Gaerwen agencies and N children with their
households, parents, addresses, names and the agencies involved with them; ``area_agencies()``
returns the main agencies so the demo can give them users. Every person, address and
identifier is invented: NHS numbers come from the never-issued 999 range.

Modules: ``names``, ``backgrounds`` and ``places`` are the data; ``agencies`` lays out the
agencies; ``plan``, ``naming``, ``families``, ``involvements`` and ``area`` plan rows in memory
from one random generator; ``write`` puts them in the database.
"""
