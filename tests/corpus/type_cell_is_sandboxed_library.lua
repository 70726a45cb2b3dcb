-- expect: exit 2
-- message: cell
-- known-failing: lua/protected calls (reading the sandboxed io table during conversion raises outside a protected call: abort)
return {
  cell = io,
  devices = { { count = 10 } },
}
