#!/usr/bin/env python3
"""moto's S3 server on 127.0.0.1 (a free port) with IAM request-signature checking on, for the AWSKit tests.

moto checks signatures and IAM policies once INITIAL_NO_AUTH_ACTION_COUNT requests have been served
(read when moto is imported). The first SETUP_REQUESTS (4) requests, unauthenticated, create an IAM user
whose inline policy allows only s3:PutObject and s3:GetObject on arn:aws:s3:::<bucket>/<prefix>/*, its
access key, and the bucket; every later request must be signed with that key and be allowed by that policy.

Prints one JSON line: {"port", "access_key_id", "secret_access_key", "bucket", "prefix", "region"}.
Then reads commands from stdin, one per line, and answers each with one JSON line:
  get <key>   -> the object as boto3 (signing with the user's key) reads it: body (base64), content type, SSE
Exits when stdin closes.
"""
import base64
import json
import os
import sys

SETUP_REQUESTS = 4
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(SETUP_REQUESTS)  # before moto is imported

from moto.server import ThreadedMotoServer
import boto3

REGION = "eu-west-1"
BUCKET = "fitdata-reports"
PREFIX = "weekly"


def main():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    endpoint = f"http://127.0.0.1:{port}"
    setup = dict(endpoint_url=endpoint, region_name=REGION,
                 aws_access_key_id="AKIASETUPONLY000000", aws_secret_access_key="setup-only-secret")
    iam = boto3.client("iam", **setup)
    iam.create_user(UserName="fitdata-report-writer")
    iam.put_user_policy(UserName="fitdata-report-writer", PolicyName="report-output", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
                       "Resource": f"arn:aws:s3:::{BUCKET}/{PREFIX}/*"}],
    }))
    key = iam.create_access_key(UserName="fitdata-report-writer")["AccessKey"]
    boto3.client("s3", **setup).create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    # From here on every request is authenticated: prove it before handing the server to the test.
    try:
        boto3.client("s3", **setup).put_object(Bucket=BUCKET, Key=f"{PREFIX}/probe", Body=b"x")
        sys.exit("moto accepted a request signed with an unknown key: signature checking is off")
    except boto3.client("s3", **setup).exceptions.ClientError:
        pass

    s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION,
                      aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    print(json.dumps({"port": port, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"],
                      "bucket": BUCKET, "prefix": PREFIX, "region": REGION}), flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "get":
            try:
                obj = s3.get_object(Bucket=BUCKET, Key=arg)
                reply = {"body": base64.b64encode(obj["Body"].read()).decode(), "content_type": obj.get("ContentType"),
                         "sse": obj.get("ServerSideEncryption"), "kms_key_id": obj.get("SSEKMSKeyId")}
            except Exception as e:  # reported to the test, which fails on it
                reply = {"error": f"{type(e).__name__}: {e}"}
        else:
            reply = {"error": f"unknown command {command!r}"}
        print(json.dumps(reply), flush=True)
    server.stop()


if __name__ == "__main__":
    main()
