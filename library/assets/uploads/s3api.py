"""The few S3 requests of an upload, signed with botocore's SigV4 signer.

An upload needs seven S3 operations (create, list and complete a multipart
upload, abort it, read an object's size and first bytes, delete it) and
presigned URLs for the parts and for the probe. A boto3 client would do
them, but building one loads botocore's whole S3 service model and endpoint
tables: about 12 MiB kept for the life of the web worker, more once a
threaded worker has built it in one of its threads. Signing is the only
part that needs care, so it is botocore's own (`S3SigV4Auth`,
`S3SigV4QueryAuth`, the classes its client signs with); the requests are
plain HTTP through urllib3, which the worker has loaded anyway.

The storage's settings give the endpoint, region, bucket and keys (or, with
no keys, botocore's usual credential chain: environment, instance role...).
Addressing is path-style, as `STORAGES` configures it for every provider.
"""

import hashlib
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape as xml_escape

import urllib3
from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from defusedxml import ElementTree

S3_XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
RETRIED_STATUSES = (500, 502, 503, 504)


class S3Error(Exception):
    """An S3 error response (`code` as S3 names it, e.g. NoSuchUpload) or a transport failure (`code` None)."""

    def __init__(self, message, *, code=None, status=None):
        super().__init__(message)
        self.code, self.status = code, status


class S3Api:
    def __init__(self, storage):
        import boto3.session

        self.bucket = storage.bucket_name
        self.region = storage.region_name or "us-east-1"
        endpoint = storage.endpoint_url or f"https://s3.{self.region}.amazonaws.com"
        self.base_url = f"{endpoint.rstrip('/')}/{quote(self.bucket)}"
        session = boto3.session.Session(
            aws_access_key_id=storage.access_key or None,
            aws_secret_access_key=storage.secret_key or None,
            aws_session_token=storage.security_token or None,
            profile_name=storage.session_profile or None,
        )
        self.credentials = session.get_credentials()
        config = storage.client_config
        connect_timeout = getattr(config, "connect_timeout", None) or 5
        self.http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=60),
            retries=urllib3.Retry(
                total=2,
                connect=2,
                read=0,
                status=2,
                status_forcelist=RETRIED_STATUSES,
                allowed_methods=None,
                backoff_factor=0.2,
                raise_on_status=False,
            ),
        )

    def url(self, key, params=None):
        url = f"{self.base_url}/{quote(key)}"
        return f"{url}?{urlencode(params, quote_via=quote)}" if params else url

    def _frozen_credentials(self):
        if self.credentials is None:
            raise S3Error("no S3 credentials")
        return self.credentials.get_frozen_credentials()

    def presign(self, method, key, params=None, expires=3600):
        """A URL anybody holding it may use for `expires` seconds, for this one request."""
        request = AWSRequest(method=method, url=self.url(key, params))
        S3SigV4QueryAuth(self._frozen_credentials(), "s3", self.region, expires=expires).add_auth(request)
        return request.url

    def request(self, method, key, params=None, body=b"", headers=None):
        """Send a signed request; return (status, headers, body) or raise `S3Error`."""
        request = AWSRequest(method=method, url=self.url(key, params), data=body, headers=dict(headers or {}))
        request.headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
        S3SigV4Auth(self._frozen_credentials(), "s3", self.region).add_auth(request)
        prepared = request.prepare()
        try:
            response = self.http.request(
                method, prepared.url, body=body or None, headers=dict(prepared.headers), preload_content=True
            )
        except urllib3.exceptions.HTTPError as error:
            raise S3Error(f"S3 cannot be reached: {error}") from error
        if response.status >= 300:
            code = _error_code(response.data) or str(response.status)
            raise S3Error(f"S3 answered {response.status} ({code})", code=code, status=response.status)
        return response.status, response.headers, response.data

    # The operations of an upload -------------------------------------------------------

    def create_multipart_upload(self, key, content_type):
        _status, _headers, data = self.request("POST", key, {"uploads": ""}, headers={"Content-Type": content_type})
        return _text(ElementTree.fromstring(data), "UploadId")

    def list_parts(self, key, upload_id, marker=0):
        """One page of parts: ([{"PartNumber", "ETag", "Size"}], next marker or None)."""
        params = {"uploadId": upload_id}
        if marker:
            params["part-number-marker"] = str(marker)
        _status, _headers, data = self.request("GET", key, params)
        root = ElementTree.fromstring(data)
        parts = [
            {
                "PartNumber": int(_text(part, "PartNumber")),
                "ETag": _text(part, "ETag"),
                "Size": int(_text(part, "Size")),
            }
            for part in _children(root, "Part")
        ]
        truncated = (_text(root, "IsTruncated") or "").lower() == "true"
        return parts, int(_text(root, "NextPartNumberMarker")) if truncated else None

    def complete_multipart_upload(self, key, upload_id, parts):
        body = "".join(
            f"<Part><PartNumber>{p['PartNumber']}</PartNumber><ETag>{_escape(p['ETag'])}</ETag></Part>" for p in parts
        )
        body = f'<CompleteMultipartUpload xmlns="{S3_XMLNS}">{body}</CompleteMultipartUpload>'.encode()
        _status, _headers, data = self.request(
            "POST", key, {"uploadId": upload_id}, body=body, headers={"Content-Type": "application/xml"}
        )
        # S3 may answer 200 and report the failure in the body.
        if data and _local_name(ElementTree.fromstring(data).tag) == "Error":
            code = _error_code(data)
            raise S3Error(f"S3 could not complete the upload ({code})", code=code, status=200)

    def abort_multipart_upload(self, key, upload_id):
        self.request("DELETE", key, {"uploadId": upload_id})

    def head_object(self, key):
        _status, headers, _data = self.request("HEAD", key)
        return int(headers["Content-Length"])

    def get_range(self, key, start, end):
        _status, _headers, data = self.request("GET", key, headers={"Range": f"bytes={start}-{end}"})
        return data

    def delete_object(self, key):
        self.request("DELETE", key)


def _local_name(tag):
    return tag.rsplit("}", 1)[-1]


def _children(element, name):
    """Child elements called `name`, with or without S3's namespace (S3-compatible servers differ)."""
    return [child for child in element if _local_name(child.tag) == name]


def _text(element, name):
    found = _children(element, name)
    return found[0].text if found else None


def _error_code(data):
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None
    return _text(root, "Code")


def _escape(text):
    return xml_escape(text, {'"': "&quot;"})
