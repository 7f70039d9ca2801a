"""The OpenAI Batch API (``regenerate --batch-api``), at the transport boundary.

* `gate` — `BatchGate`: a transport put in front of the response cache that, while the
  requests are being collected, queues every miss under its cache key (answering with a
  placeholder), and afterwards lets nothing reach the endpoint outside a batch;
* `jobs` — `BatchRunner`: writes the queued requests as JSONL, uploads them, creates and
  polls the batch, and stores every complete, schema-valid answer in the response cache;
* `state` — `BatchState`: the batches in flight, in a state file (read bounded), so that a
  rerun picks them up again instead of paying for them twice.

The rounds that drive them (collect, submit, build) are `summariser.regenerate.batch`.
"""

__all__: list[str] = []
