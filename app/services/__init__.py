"""The domain operations of nablagrade, one module per concern.

Routes, the API, the Flask CLI and the Celery tasks each call these plain functions; they
own their transactions, raise `ServiceError`s whose message a person can act on, and never
see a request object:

    people       users, enrolment, email addresses
    courses      courses and who is in them
    roster       class lists from LMS exports
    assignments  the assignment catalogue and its rows in the database
    deadlines    due dates, per-student extensions and the late policy
    submissions  accepting a file and sending its grading job
    grading      claim -> engine -> store (or error), regrades, recovery
    results      where each student stands on an assignment: the score that counts, what changed
    tokens       API tokens of integrations: one course, some scopes, stored hashed
    integrations what an API token does in its course: external students, idempotent submits
    webhook_events  the events sent to webhook endpoints: types, payload schemas, examples
    health       the database, the broker and the workers
    jobs         background jobs, sent only after their transaction commits
    demo         the seeded demo course
"""
