"""Everything botbuilder 4.17.1 needs around it, with our numbered workarounds, one module per concern.

- `auth`: the Bot Framework channel token and its signing keys (workarounds 5, 6, 8);
- `tenant`: the tenant id and the allow-list (7);
- `http`: POST /api/messages, the adapter, its cached clients and the replies as JSON (1, 2, 4, 10, 12);
- `errors`: Danish invoke error bodies and the turn error handler (3, 9);
- `wire`: activities and conversation references to and from JSON (11).

Each module's docstring carries its workarounds' text. docs/sdk-move.md says which of them the Microsoft 365
Agents SDK makes unnecessary.
"""
