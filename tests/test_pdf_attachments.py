"""PDF documents as attachments: uploaded like images (API and compose form), checked with
pypdf, posted beside images, served as downloads, shown on the pages as a card with name,
pages and size; what only claims to be a PDF is refused and leaves nothing behind."""

from __future__ import annotations

import io

import httpx
import lxml.html
import pytest
from pypdf import PdfWriter

from media_support import image_bytes, stored_files, upload
from support import wait_until
from web_support import WebClient, csrf_of

A4 = (595, 842)


@pytest.fixture(scope="module", autouse=True)
def no_tracebacks_in_server_log(server):
    start = len(server.log_text())
    yield
    assert "Traceback" not in server.log_text()[start:]


def pdf_bytes(pages: int = 3, *, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    if password is not None:
        writer.encrypt(password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def upload_pdf(user, data: bytes, name: str = "release.pdf", **fields) -> httpx.Response:
    return upload(user, data, "application/pdf", name, **fields)


def test_a_pdf_from_mastodon_py_is_an_attachment_without_preview_served_as_a_download(
        new_user):
    alice = new_user()
    document = pdf_bytes(3)
    media = alice.api.media_post(document, mime_type="application/pdf",
                                 file_name="Übernahme 2027.pdf",
                                 description="Pressemitteilung <b>zur</b> Übernahme")
    assert media["type"] == "unknown" and media["preview_url"] is None
    assert media["blurhash"] is None
    assert media["description"] == "Pressemitteilung <b>zur</b> Übernahme"
    assert media["meta"] == {"pages": 3, "file_name": "Uebernahme-2027.pdf",
                             "file_size": len(document)}
    assert media["url"].endswith("/Uebernahme-2027.pdf")
    response = httpx.get(media["url"])
    assert response.status_code == 200 and response.content == document
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'attachment; filename="Uebernahme-2027.pdf"')
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    # Until it is posted, only the uploader sees the upload, as with images.
    assert alice.http.get(f"/api/v1/media/{media['id']}").json()["meta"]["pages"] == 3
    assert new_user().http.get(f"/api/v1/media/{media['id']}").status_code == 404


def test_a_status_carries_a_pdf_beside_images_and_the_pdf_counts_toward_four(new_user):
    alice = new_user()
    data = pdf_bytes(2)
    document = upload_pdf(alice, data, "Jahresbericht.pdf")
    assert document.status_code == 200, document.text
    images = [upload(alice, image_bytes("PNG")).json()["id"] for _ in range(4)]
    ids = [document.json()["id"], *images[:3]]
    posted = alice.http.post("/api/v1/statuses", json={"status": "Unser Jahr",
                                                       "media_ids": ids})
    assert posted.status_code == 200, posted.text
    attached = posted.json()["media_attachments"]
    assert [m["type"] for m in attached] == ["unknown", "image", "image", "image"]
    assert attached[0]["meta"]["pages"] == 2 and attached[0]["preview_url"] is None
    too_many = alice.http.post("/api/v1/statuses", json={
        "status": "five", "media_ids": [upload_pdf(alice, pdf_bytes(1)).json()["id"],
                                        images[3], *[upload(alice, image_bytes("PNG"))
                                                     .json()["id"] for _ in range(3)]]})
    assert too_many.status_code == 422 and "At most 4" in too_many.json()["error"]
    fetched = alice.api.status(posted.json()["id"])["media_attachments"][0]
    assert fetched["url"].endswith("/Jahresbericht.pdf")
    assert httpx.get(fetched["url"]).content == data


@pytest.mark.parametrize("name, data, says", [
    ("notes.pdf", b"Just some text, sent as a PDF.\n", "The file is not a PDF document"),
    ("cut.pdf", pdf_bytes(3)[:400], "The PDF document is incomplete"),
    ("secret.pdf", pdf_bytes(1, password="geheim"), "The PDF document is encrypted"),
    ("empty.pdf", pdf_bytes(0), "The PDF document has no pages"),
    ("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n",
     "The file is not a PDF document"),
])
def test_what_is_no_readable_pdf_is_refused_clearly_and_nothing_is_stored(new_user, server,
                                                                          name, data, says):
    alice = new_user()
    before = stored_files(server)
    response = upload_pdf(alice, data, name)
    assert response.status_code == 422, response.text
    assert says in response.json()["error"]
    assert stored_files(server) == before


def test_a_png_named_pdf_is_taken_as_the_image_it_is(new_user):
    alice = new_user()
    response = upload_pdf(alice, image_bytes("PNG", (40, 30)), "picture.pdf")
    assert response.status_code == 200, response.text
    assert response.json()["type"] == "image" and response.json()["url"].endswith(".png")


def test_a_deleted_pdf_upload_leaves_no_file_or_folder_behind(new_user, server):
    alice = new_user()
    before = stored_files(server)
    media = upload_pdf(alice, pdf_bytes(1), "draft.pdf").json()
    folder = next(path for path in stored_files(server) - before).parent
    assert folder.name != "media" and folder.exists()
    assert alice.http.delete(f"/api/v1/media/{media['id']}").status_code == 200
    assert wait_until(lambda: not folder.exists())
    assert httpx.get(media["url"]).status_code == 404


def _by_class(element, css_class: str, tag: str = "*") -> list:
    return element.xpath(f".//{tag}[contains(concat(' ', @class, ' '), ' {css_class} ')]")


def _document_cards(page: str) -> list:
    return _by_class(lxml.html.fromstring(page), "document-card", "a")


def _text(card, css_class: str) -> str:
    [element] = _by_class(card, css_class)
    return element.text_content()


@pytest.mark.parametrize("language, facts", [("en", "PDF document · 3 pages · {size} byte"),
                                             ("de", "PDF-Dokument · 3 Seiten · {size} Byte")])
def test_a_post_page_shows_the_pdf_as_a_download_card_in_the_readers_language(
        new_user, server, language, facts):
    alice = new_user()
    media = upload_pdf(alice, pdf_bytes(3), "Bericht <script>.pdf",
                       description="<script>alert(1)</script> Zahlen").json()
    image = upload(alice, image_bytes("PNG")).json()
    status = alice.api.status_post("Lesestoff", media_ids=[media["id"], image["id"]])
    web = WebClient(server.base_url)
    web.sign_in(alice.username)
    web.submit("/web/home", "/web/language", {"language": language, "back": "/web/home"})
    page = web.get(f"/@{alice.username}/{status['id']}")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    [card] = _document_cards(page.text)
    assert card.get("href").endswith("/Bericht-script.pdf") and card.get("download")
    assert _text(card, "document-name") == "Bericht-script.pdf"
    size = media["meta"]["file_size"]
    assert size < 1000 and _text(card, "document-facts") == facts.format(size=size)
    assert _text(card, "document-description") == "<script>alert(1)</script> Zahlen"
    # The image stays in the gallery; the document is no picture there.
    [gallery] = _by_class(lxml.html.fromstring(page.text), "media", "ul")
    assert [img.get("src")[-4:] for img in gallery.iter("img")] == [".png"]
    web.close()


def test_the_compose_form_posts_a_pdf_and_refuses_a_text_file_sent_as_one(web, new_user,
                                                                          server):
    alice = new_user()
    web.sign_in(alice.username)
    form = web.get("/web/home")
    assert "application/pdf" in form.text
    answer = web.http.post("/web/statuses", data={
        "csrf": csrf_of(form), "visibility": "public", "text": "Die Mitteilung",
        "description_1": "Die Mitteilung als PDF"},
        files={"media_1": ("Mitteilung.pdf", pdf_bytes(2), "application/pdf")})
    assert answer.status_code == 200 and answer.url.path == "/web/home"
    [card] = _document_cards(answer.text)
    assert "2 pages" in card.text_content()
    [posted] = alice.api.account_statuses(alice.id)
    assert posted["media_attachments"][0]["description"] == "Die Mitteilung als PDF"

    before = stored_files(server)
    refused = web.http.post("/web/statuses", data={
        "csrf": csrf_of(web.get("/web/home")), "visibility": "public", "text": "Noch eine"},
        files={"media_1": ("real.png", image_bytes("PNG"), "image/png"),
               "media_2": ("fake.pdf", b"no PDF here", "application/pdf")})
    assert refused.status_code == 422
    assert "Attachment 2: The file is not a PDF document" in refused.text
    assert len(alice.api.account_statuses(alice.id)) == 1
    assert wait_until(lambda: stored_files(server) == before)
