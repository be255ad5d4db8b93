// The floor for any ES module entry on this runtime: Node starts its ES module loader, runs nothing.
