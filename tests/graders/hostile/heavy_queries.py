"""Finding 8 (the driver frozen from inside a platform call): queries that each keep the database (in the
driver's process) busy up to the platform's statement timeout, sent back to back with no pause in which the
old driver looked at its clock. Task reporting/top_products. Expected: timeout at the tier's wall timeout (a
query in progress stops there too), or over_latency once the virtual time charged for the work exceeds the
budget."""

HEAVY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"


def top_products(db, since, until, by="net_sales", limit=10):
    while True:
        try:
            db.execute(HEAVY)
        except Exception:
            pass
