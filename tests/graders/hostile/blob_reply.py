"""Finding 7: SQL that selects a BLOB, which the JSON channel cannot carry (the old driver failed to encode its
own reply). Task reporting/top_products. Expected: the platform's 400, raised in the solution: crash at demo."""


def top_products(db, since, until, by="net_sales", limit=10):
    return db.execute("SELECT randomblob(16)")
