"""Subject access (IS4): everything Tarian holds about a person, for the person who asks.

Each app contributes a section in its own ``disclosure.py`` (built with ``tarian.core.disclosure``);
``sections.py`` gathers them from every installed app, so no app imports this one and every
import points down. ``export.py`` writes the ZIP (README, CSV per section, PDF), third parties
withheld; the page (``views.py``) and ``tarian subject-access`` serve it.
"""
