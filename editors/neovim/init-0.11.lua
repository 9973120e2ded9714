-- ghostls in Neovim 0.11: AI ghost text from the Lua module in client-nvim/ of the ghostls
-- repository (put that folder on the runtimepath with your plugin manager).
-- The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
local ghostls = require('ghostls')

vim.lsp.config('ghostls', {
  cmd = { 'ghostls' },
  filetypes = { 'c', 'cpp', 'go', 'javascript', 'lua', 'python', 'rust', 'sh', 'typescript' },
  root_markers = { '.git' },
  -- Tells ghostls that this client shows ghost text: no completion-menu copy of the suggestion.
  capabilities = ghostls.capabilities(),
  init_options = {
    baseUrl = 'http://127.0.0.1:8080/v1', -- any OpenAI-compatible server
    model = 'qwen2.5-coder-1.5b',
    promptMode = 'fim',
  },
})
vim.lsp.enable('ghostls')

-- <Tab> accepts the suggestion, <M-Right> a word of it, <M-Down> a line, <C-]> dismisses it.
ghostls.setup()
