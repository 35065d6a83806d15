"""Finding 7 (the solution's memory charged to the driver): one query whose result is built in the driver's
process: tens of millions of rows (the old driver grew to gigabytes, until the container's OOM killer came).
Task reporting/top_products. Expected: the platform's 400 (a response carries at most 5 million values),
raised in the solution: crash at demo."""

HUGE = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 50000000) "
        "SELECT x, x, x, x FROM c")


def top_products(db, since, until, by="net_sales", limit=10):
    return db.execute(HUGE)
