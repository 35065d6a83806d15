"""Naive (the tutorial answer): post every event in a tight loop, retrying until it goes through."""


def deliver_batch(api, events):
    receipts = {}
    for event in events:
        while True:
            response = api.post_webhook(event_id=event["id"], payload=event)
            if response["status"] == 200:
                receipts[event["id"]] = response["receipt"]
                break
    return {"receipts": receipts}
