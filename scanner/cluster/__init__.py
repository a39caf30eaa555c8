"""Detection on a Dask cluster: the client plans and stores, long-lived workers detect.

`scanner.cluster.batches` cuts the blobs a scan still needs into batches (pure, no Dask),
`scanner.cluster.worker` is what runs inside each Dask worker process (the licence index, loaded
once by a WorkerPlugin, and `detect_batch`), and `scanner.cluster.client` is the os2scan side:
it connects, submits batches largest first and yields results as batches finish. The client
never loads scancode's licence index. Needs the `cluster` extra (`distributed`).
"""
