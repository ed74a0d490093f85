"""The pieces both run reports (PAPRIKA's and SCoRe's) are built from: one self-contained HTML page.

Why one file with nothing outside it: reports get mailed, archived and opened on machines with no
network, so there is no CDN, font or script from elsewhere. Figures are embedded as base64 data
URIs (``figures``); the evaluation episodes are embedded as JSON in a
``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as JSON ``\\u`` escapes
(``markup.script_json``), so no episode text (not even ``</script>``) can end the element early; the
viewer (``viewer``, ``templates/viewer.js``) inserts text with ``textContent`` only, so no episode
text is ever parsed as HTML.

Modules: ``run_files`` reads the optional parts of a run directory (a failure becomes a note in the
page), ``markup`` escapes and builds tables and sections, ``figures`` draws with matplotlib to PNG,
``viewer`` embeds the episodes, ``page`` fills ``templates/page.html`` and writes the file. The page
template, the CSS and the viewer's markup and script are package data under ``templates/``.
"""
