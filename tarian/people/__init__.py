"""The shared record: children, unborn babies, adults, names, addresses, households,
relationships and involvements (FD6, IS1, IS2, IS3, VC2).

Models, ``services.py`` (create and edit with optimistic concurrency), ``selectors.py`` (every
read of a person starts from ``people_for``; ``PersonRecord`` is the record page's read model),
``record_reads.py`` (the API's person read in one statement), restriction and break-glass,
the matcher (``matching/``), duplicates and merging (``duplicates.py``, ``merging.py``), and
the faces: ``views/`` (search, record, edit, restriction, match panel, duplicates), ``forms.py``,
``api/`` (people, involvements, access log, match, merges), ``templates/people/``, ``urls.py``,
its demo data (``demo.py``) and its subject-access section (``disclosure.py``).
"""
