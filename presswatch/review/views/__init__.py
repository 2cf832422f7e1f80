"""Review desk: the routes, one module per area of the desk."""

from __future__ import annotations

from fastapi import APIRouter

from presswatch.review.views import (
    admin,
    claims,
    documents,
    overview,
    queue,
    sessions,
    sources,
    stories,
)

ROUTERS: tuple[APIRouter, ...] = (
    sessions.router,
    queue.router,
    documents.router,
    stories.router,
    sources.router,
    claims.router,
    overview.router,
    admin.router,
)
