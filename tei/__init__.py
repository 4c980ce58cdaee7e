"""TEI P5 in and out (lxml): reading witnesses, writing and importing apparatus, validation.

Modules:
    safe       the safe XML parser every reader uses (no entities, no DTD, no network)
    text       one witness's text as collated (``choice``, ``add``/``del``, breaks, omissions), traced to
               element, page, line and file line; ``TeiOptions``
    reader     a TEI file → its ``Witness``es (one ``TEI``, a ``teiCorpus``, a ``group``, an apparatus)
    writer     ``Apparatus`` → TEI apparatus: parallel segmentation, location-referenced, double end-point
    importer   a parallel-segmentation apparatus (ours or another tool's) → ``Alignment``/``Apparatus``
    validate   validation against TEI P5 ``tei_all``
"""
