"""TEI P5 in and out (lxml): reading witnesses, writing and importing apparatus, validation.

Modules:
    safe       the safe XML parser every reader uses (no entities, no DTD, no network)
    reader     TEI witnesses → ``Witness``es, every token traced to element, page, line and file line
    writer     ``Apparatus`` → TEI apparatus: parallel segmentation, location-referenced, double end-point
    importer   a parallel-segmentation apparatus (ours or another tool's) → ``Alignment``/``Apparatus``
    validate   validation against TEI P5 ``tei_all``
"""
