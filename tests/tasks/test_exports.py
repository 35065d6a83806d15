"""Exports tasks: CSV output is compared by value, not by quoting or line endings."""
import pytest

from scaleblind.tasks.registry import get_task, task_module

EXPORTS = ["exports/orders_csv", "exports/customer_report"]


@pytest.mark.parametrize("task_id", EXPORTS)
def test_csv_compared_by_value_not_by_quoting(task_id):
    normalize = task_module(get_task(task_id), "world").normalize
    crlf = 'id,name\r\n1,"Smith, Jones & Co"\r\n2,"Acme ""Rockets"" Ltd"\r\n'
    lf = '"id","name"\n1,"Smith, Jones & Co"\n"2","Acme ""Rockets"" Ltd"\n'
    assert normalize({"return": 2, "out": crlf}) == normalize({"return": 2, "out": lf})
    swapped = 'id,name\n2,"Acme ""Rockets"" Ltd"\n1,"Smith, Jones & Co"\n'
    assert normalize({"return": 2, "out": crlf}) != normalize({"return": 2, "out": swapped})
    assert normalize({"return": 2, "out": "id,total\n1,12.30\n"}) != normalize({"return": 2, "out": "id,total\n1,12.3\n"})
