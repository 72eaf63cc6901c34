"""The front door (FD1-FD7, IS1): referrals from every agency, police supervisor approval,
the Gateway queue, decisions with the threshold level, manager sign-off and feedback to the
referrer, and the partnership's editable threshold guide (FD7).

``services.py`` writes, ``selectors.py`` reads (``referral_page`` is the read model with the
``may_*`` flags a page or endpoint shows; ``priority_rank`` orders the queue from the pack),
``threshold.py`` is the threshold guide; the faces are ``views.py``, ``threshold_views.py``,
``forms.py``, ``api.py``, ``templates/referrals/``, ``templatetags/`` and ``urls.py``; it adds
referral events to the chronology (``chronology.py``), a subject-access section
(``disclosure.py``) and demo referrals (``demo.py``).
"""
