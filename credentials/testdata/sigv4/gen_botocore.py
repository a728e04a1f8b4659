#!/usr/bin/env python3
"""Sign a handful of requests with botocore and write them as fixtures.

The Go test (TestBotocoreFixtures in sigv4_test.go) verifies every request in
botocore.json with an injected clock, so it needs no Python. Regenerate with:

    python3 credentials/testdata/sigv4/gen_botocore.py > credentials/testdata/sigv4/botocore.json

The credentials are AWS's documentation examples; the session token is an
opaque string the Go test's resolver expects verbatim.
"""
import datetime
import json
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

NOW = datetime.datetime(2026, 1, 1, 12, 0, 0)
LONG = Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
TEMP = Credentials(
    "ASIAIOSFODNN7EXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampletoken+/=",
)
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def case(name, signer, method, url, creds, headers=None, data=None, params=None):
    req = AWSRequest(method=method, url=url, headers=headers or {}, data=data, params=params or {})
    with mock.patch.object(botocore.auth, "get_current_datetime", lambda *a, **k: NOW):
        signer(creds).add_auth(req)
    p = req.prepare()
    body = p.body or b""
    if isinstance(body, str):
        body = body.encode()
    return {
        "name": name,
        "method": p.method,
        "url": p.url,
        "headers": [[k, v if isinstance(v, str) else v.decode()] for k, v in p.headers.items()],
        "body": body.decode(),
        "accessKeyId": creds.access_key,
        "sessionToken": creds.token or "",
        "time": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def v4(service, region="us-east-1"):
    return lambda c: botocore.auth.SigV4Auth(c, service, region)


def s3v4(region="us-east-1"):
    return lambda c: botocore.auth.S3SigV4Auth(c, "s3", region)


def query(service, expires, region="us-east-1"):
    return lambda c: botocore.auth.SigV4QueryAuth(c, service, region, expires=expires)


def s3query(expires, region="us-east-1"):
    return lambda c: botocore.auth.S3SigV4QueryAuth(c, "s3", region, expires=expires)


STS = "http://127.0.0.1:8080/"
cases = [
    case("sts-query-protocol-post", v4("sts"), "POST", STS, LONG,
         headers={"Content-Type": FORM}, data="Action=GetCallerIdentity&Version=2011-06-15"),
    case("sts-query-protocol-post-session-token", v4("sts"), "POST", STS, TEMP,
         headers={"Content-Type": FORM}, data="Action=GetCallerIdentity&Version=2011-06-15"),
    case("sts-assume-role-reserved-characters", v4("sts"), "POST", STS, LONG,
         headers={"Content-Type": FORM},
         data="Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fdemo"
              "&RoleSessionName=a%2Bb%3Dc%2Cd.e%40f-g&Tags.member.1.Key=k%20y"),
    case("get-odd-query", v4("execute-api", "eu-west-1"), "GET",
         "http://api.example.com:8443/stage/items", LONG,
         params={"b": "2", "a": "1", "empty": "", "reserved": "!*'();:@&=+$,/?#[] ~", "unicode": "\u00fc\u6f22"}),
    case("get-odd-path-normalized", v4("execute-api", "eu-west-1"), "GET",
         "http://api.example.com/stage//a%20b/./%C3%BC/../c%2Fd/", LONG),
    case("header-whitespace", v4("sts"), "POST", STS, LONG,
         headers={"Content-Type": FORM, "X-Amz-Meta-Note": "  a   b\tc  "},
         data="Action=GetCallerIdentity&Version=2011-06-15"),
    case("s3-get-object-path-not-normalized", s3v4(), "GET",
         "http://examplebucket.s3.amazonaws.com/photos//2026/a%20b%2Bc.jpg", LONG,
         headers={"Range": "bytes=0-9"}),
    case("s3-put-object-session-token", s3v4(), "PUT",
         "http://examplebucket.s3.amazonaws.com/notes.txt", TEMP,
         headers={"Content-Type": "text/plain"}, data="Welcome to Amazon S3."),
    case("presigned-sts-get-caller-identity", query("sts", 900), "GET",
         STS + "?Action=GetCallerIdentity&Version=2011-06-15", LONG),
    case("presigned-sts-session-token", query("sts", 60), "GET",
         STS + "?Action=GetCallerIdentity&Version=2011-06-15", TEMP),
    case("presigned-s3-get-object", s3query(604800), "GET",
         "http://examplebucket.s3.amazonaws.com/test%20file.txt", LONG),
]

json.dump({"botocore": botocore.__version__, "cases": cases}, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write("\n")
