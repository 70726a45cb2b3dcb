-- expect: exit 2
-- message: unexpected symbol
-- Mistyped operator from another language.
return { devices = { { count = 2 ** 10 } } }
