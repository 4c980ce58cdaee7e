"""The collation engine: witnesses' tokens in, aligned and grouped into variant locations out.

Pure: it reads no file and knows no markup. No lxml, no Jinja, no SQLite, no CLI; ``tests/test_layers.py``
reads the imports to keep it so. The modules, in the order the data flows:
    model      the data: ``Token``, ``Source``, ``Witness``, ``Alignment``, ``Apparatus``, ``VariantLocation``…
    tokens     a text → ``Token``s, each with its original form, normalised form and source location
    normalize  the normalisers: ``str -> str`` functions composed in order, the original kept beside
    align      two token sequences aligned (anchors, then a banded edit script, near matches, moves)
    graph      many witnesses merged into one alignment table, transpositions detected
    variants   the table grouped into agreements and typed variant locations: the one grouping every output uses
    lacunae    readings empty because their witness has a gap there, typed ``lacuna`` rather than omission
    corrections  the editor's corrections (merge, split, move, lemma, note), keyed to words, applied to an
               ``Apparatus``; those that no longer apply are recorded with the reason

This package imports nothing on import.
"""
