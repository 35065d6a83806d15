"""Naive (expand each series, as a recurrence iterator does): walk every hold's occurrences from its first
one until the day ends, keep those that touch the day, then merge per room. Correct; but an hourly hold that
started in 2020 is stepped through tens of thousands of times to reach today."""


def room_availability(holds, day_start, day_end):
    per_room = {}
    for hold in holds:
        start, every, count = hold["start"], hold["every"], hold["count"]
        if every is None:
            count = 1
        k = 0
        occurrence = start
        while occurrence < day_end and (count is None or k < count):
            end = occurrence + hold["minutes"]
            if end > day_start:
                per_room.setdefault(hold["room_id"], []).append((max(occurrence, day_start), min(end, day_end)))
            if every is None:
                break
            k += 1
            occurrence += every
    busy = []
    for room in sorted(per_room):
        merged = []
        for begin, end in sorted(per_room[room]):
            if merged and begin <= merged[-1][2]:
                merged[-1][2] = max(merged[-1][2], end)
            else:
                merged.append([room, begin, end])
        busy.extend(merged)
    return {"busy": busy}
