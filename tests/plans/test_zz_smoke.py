import json
from plans.services import word_conversion
from plans.wordimport.sample import sample_document
from openpyxl import load_workbook
import io

def test_smoke(db):
    c = word_conversion(content=sample_document(), plan_facts={"partnership": "X Health and Social Care Partnership"})
    print(json.dumps(c.summary(), indent=1, default=str))
    print(c.problems)
    wb = load_workbook(io.BytesIO(c.workbook))
    for ws in wb.worksheets:
        print("==", ws.title)
        for row in ws.iter_rows(values_only=True):
            print(row)
