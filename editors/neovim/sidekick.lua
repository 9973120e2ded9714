-- ghostls behind sidekick.nvim's next edit suggestions (Neovim 0.11+). sidekick asks the LSP
-- clients whose name contains "copilot" for `textDocument/copilotInlineEdit`: give the ghostls
-- client such a name. Edits come for the buffer's version, which sidekick checks as well.
-- The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
vim.lsp.config('copilot_ghostls', {
  cmd = { 'ghostls' },
  filetypes = { 'c', 'cpp', 'go', 'javascript', 'lua', 'python', 'rust', 'sh', 'typescript' },
  root_markers = { '.git' },
  init_options = {
    baseUrl = 'http://127.0.0.1:8080/v1', -- any OpenAI-compatible server
    model = 'qwen2.5-coder-1.5b',
    promptMode = 'fim',
    nextEdit = 'on',
  },
})
vim.lsp.enable('copilot_ghostls')

-- ghostls reports its state as `ghostls/status`, not as Copilot's didChangeStatus.
require('sidekick').setup({ copilot = { status = { enabled = false } } })

-- <Tab> in normal mode jumps to the suggested edit, then applies it.
vim.keymap.set('n', '<Tab>', function()
  if not require('sidekick').nes_jump_or_apply() then
    return '<Tab>'
  end
end, { expr = true, desc = 'Go to or apply the next edit suggestion' })
