"""Forms of the đề án pages. They check shape and field rules and hand cleaned_data to projects.services.

One module per page: `entry` (the entry page), `steps` (the moves and records of the đề án page), `bulk`
(the list's bulk moves, notes), `national` (the national plan page); `fields` holds what they share.
"""
