-- ghostls in Neovim 0.12+: AI ghost text shown natively (vim.lsp.inline_completion).
-- The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
vim.lsp.config('ghostls', {
  cmd = { 'ghostls' },
  filetypes = { 'c', 'cpp', 'go', 'javascript', 'lua', 'python', 'rust', 'sh', 'typescript' },
  root_markers = { '.git' },
  init_options = {
    baseUrl = 'http://127.0.0.1:8080/v1', -- any OpenAI-compatible server
    model = 'qwen2.5-coder-1.5b',
    promptMode = 'fim',
  },
})
vim.lsp.enable('ghostls')
vim.lsp.inline_completion.enable()

-- <Tab> accepts the suggestion shown, and is a plain <Tab> otherwise.
vim.keymap.set('i', '<Tab>', function()
  if not vim.lsp.inline_completion.get() then
    return '<Tab>'
  end
end, { expr = true, desc = 'Accept the AI suggestion' })
