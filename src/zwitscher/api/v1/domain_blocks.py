"""A person's own domain blocks: list, block, unblock."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from zwitscher.api.deps import Origin, scoped, uows
from zwitscher.api.operations import Empty, declare
from zwitscher.api.pagination import link_header, page_from
from zwitscher.api.params import Params, parse
from zwitscher.api.responses import JSON
from zwitscher.domain.domains import host_of
from zwitscher.services.block_domain import block_domain, unblock_domain
from zwitscher.services.oauth import Viewer

router = APIRouter()


class DomainParam(Params):
    domain: str = ""


@router.get("/api/v1/domain_blocks")
@declare(returns=list[str], paged=True)
async def list_domain_blocks(request: Request,
                             viewer: Viewer = Depends(scoped("read:blocks"))) -> JSON:
    page = page_from(request, default=100, maximum=200)
    async with uows(request).read() as uow:
        rows = await uow.domain_blocks.page(viewer.account_id, page)
    response = JSON([row.domain for row in rows])
    link_header(request, response, [row.id for row in rows])
    return response


@router.post("/api/v1/domain_blocks")
@declare(returns=Empty, takes=DomainParam)
async def add_domain_block(request: Request, origin: Origin,
                           viewer: Viewer = Depends(scoped("write:blocks"))) -> JSON:
    form = await parse(request, DomainParam)
    async with uows(request).write() as uow:
        await block_domain(uow, account_id=viewer.account_id, domain=form.domain,
                           own_hosts={host_of(origin)})
    return JSON({})


@router.delete("/api/v1/domain_blocks")
@declare(returns=Empty, takes=DomainParam)
async def remove_domain_block(request: Request,
                              viewer: Viewer = Depends(scoped("write:blocks"))) -> JSON:
    form = await parse(request, DomainParam)
    async with uows(request).write() as uow:
        await unblock_domain(uow, account_id=viewer.account_id, domain=form.domain)
    return JSON({})
