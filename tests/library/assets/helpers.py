"""Generated media and small clients for the asset tests (no binary fixture is committed)."""

import json
import urllib.error
import urllib.request

from django.urls import reverse

from library.assets.media.generate import make_test_video

JS_OPEN_ACTION = b"/OpenAction << /S /JavaScript /JS (app.alert\\('hello'\\)) >>"
LAUNCH_ACTION = b"/OpenAction << /S /Launch /F (calc.exe) >>"


def video_bytes(tmp_path, name="film.mp4", **options):
    path = tmp_path / name
    make_test_video(path, **options)
    return path.read_bytes()


def hand_pdf(catalog_extra=b"", text=b"Bonjour"):
    """A valid one-page PDF with a correct xref table; `catalog_extra` goes into the catalog."""
    content = b"BT /F1 24 Tf 20 100 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def fpdf_guide(pages=2, text="Guide pédagogique des ateliers de pratique artistique pour les jeunes."):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for index in range(pages):
        pdf.add_page()
        pdf.multi_cell(0, 10, f"{text} Page {index + 1}. Les structures et les animateurs sont dans le dispositif.")
    return bytes(pdf.output())


class Uploader:
    """Plays the browser's part against the upload API: Django test client + presigned PUTs."""

    def __init__(self, client):
        self.client = client

    def post(self, url, data=None):
        return self.client.post(url, data=json.dumps(data or {}), content_type="application/json")

    def create(self, filename, size, **extra):
        return self.post(reverse("library_uploads:create"), {"filename": filename, "size": size, **extra})

    def status(self, session):
        return self.client.get(session["urls"]["status"])

    def sign(self, session, numbers):
        response = self.post(session["urls"]["parts"], {"parts": numbers})
        assert response.status_code == 200, response.content
        return {int(number): url for number, url in response.json()["urls"].items()}

    def put_parts(self, session, data, numbers=None):
        part_size = session["part_size"]
        count = max(1, -(-len(data) // part_size))
        numbers = numbers or list(range(1, count + 1))
        for number, url in self.sign(session, numbers).items():
            body = data[(number - 1) * part_size : number * part_size]
            request = urllib.request.Request(url, data=body, method="PUT")
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200
        return count

    def put_chunk(self, session, data, offset):
        return self.client.put(
            f"{session['urls']['chunk']}?offset={offset}", data=data, content_type="application/octet-stream"
        )

    def finalize(self, session):
        return self.post(session["urls"]["finalize"])

    def abort(self, session):
        return self.post(session["urls"]["abort"])


def try_put(url, body):
    """PUT that reports a connection failure instead of raising (the S3 server may be down)."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method="PUT"), timeout=5) as response:
            return response.status
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return error
