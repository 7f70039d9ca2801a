"""The embedded backend: llama.cpp in-process, and llama.cpp's own llama-server on the same weights.

* `backend` — `EmbeddedTransport`, the httpx2 transport that answers chat requests from llama.cpp;
* `weights` — the registry of embedded models and the assembly of their weights;
* `grammar` — the llama.cpp grammar of a JSON Schema;
* `sampling` — greedy grammar-constrained sampling;
* `prefix_reuse` — prompt-prefix reuse that cannot change an answer;
* `sequences` — several requests decoded together as llama.cpp sequences (`SequenceDecoder`);
* `sequence_routing` — which requests are decoded as sequences together, and their answers;
* `llama_server`, `server_build` — llama-server, built on first need and served on the weights;
* `smoke` — the install-time smoke test.
"""

__all__: list[str] = []
