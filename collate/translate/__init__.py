"""The translation aligner: texts in one or several languages linked sentence by sentence, then compared.

Modules, in the order the data flows:
    sentences   segmentation: a text → sentences with their offsets and paragraph starts
    model       the data: ``Text``, ``Link``, ``Options``, the scorer contract, ``Translation`` and its rows
    score       scoring a candidate link with no model (length, numbers, names, cognates, a learnt lexicon),
                or with sentence vectors the user supplies
    align       the banded dynamic programme, the second pass, moved passages, alignment to a pivot
    run         the command's job: files in, segmented, aligned, rendered (JSON, TEI, HTML) and written

This package imports nothing on import, so that loading one of its modules does not load the others.
"""
