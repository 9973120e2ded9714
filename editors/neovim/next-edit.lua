-- Next-edit suggestions in Neovim 0.10+ (after either ghostls snippet above): ghostls suggests
-- the edit your recent edits imply (the rest of a rename, the other call sites) and
-- client-nvim/lua/ghostls/next_edit.lua shows it where it goes.
vim.lsp.config('ghostls', { init_options = { nextEdit = 'on' } })

-- In normal mode, <Tab> applies the edit shown and <Esc> dismisses it.
require('ghostls.next_edit').setup()
