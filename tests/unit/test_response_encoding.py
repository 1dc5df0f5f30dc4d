"""The response body encoder: UTF-8 as it is, and JSON for any string, even one no UTF-8 can hold."""

import json

from graph_api.api.graphql.http import encode_json


def test_chinese_text_is_its_utf_8_bytes():
    body = encode_json({"data": {"name": "山东华岳控股集团有限公司"}})
    assert body == '{"data":{"name":"山东华岳控股集团有限公司"}}'.encode()


def test_a_lone_surrogate_is_escaped_not_an_error():
    body = encode_json({"errors": [{"message": "got \ud800"}]})
    assert b"\\ud800" in body and json.loads(body) == {"errors": [{"message": "got \ud800"}]}
