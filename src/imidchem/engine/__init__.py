"""The screen engine: streaming readers, writers, serial, pool and Dask execution."""
