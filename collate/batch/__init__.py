"""The OCR batch runner: every scan in a folder compared with its reference transcription, CER/WER, reports.

Modules, in the order the data flows:
    pairing    reference and scan files paired by name, or from a manifest
    metrics    CER and WER (grapheme clusters and words), and the differences a page shows
    model      the data passed around: ``Pair``, ``Job``, ``Outcome``, ``DocumentResult``, ``BatchSummary``
    workers    where the comparisons run: this process, a local process pool, or a Dask cluster
    store      the SQLite result store that makes a run resumable and comparable with the previous one
    run        ``run_batch``: the whole job, writing the summary, the index page and one page per document

This package imports nothing on import: ``collate batch`` loads only the modules it uses.
"""
