-- ghostls behind copilot-lsp's next edit suggestions (copilotlsp-nvim/copilot-lsp, Neovim 0.11+).
-- copilot-lsp sends positions in UTF-16: the client asks ghostls for UTF-16 positions.
-- The API key, if the server needs one, goes in the environment: GHOSTLS_API_KEY.
vim.lsp.config('copilot_ghostls', {
  cmd = { 'ghostls' },
  filetypes = { 'c', 'cpp', 'go', 'javascript', 'lua', 'python', 'rust', 'sh', 'typescript' },
  root_markers = { '.git' },
  capabilities = { general = { positionEncodings = { 'utf-16' } } },
  init_options = {
    baseUrl = 'http://127.0.0.1:8080/v1', -- any OpenAI-compatible server
    model = 'qwen2.5-coder-1.5b',
    promptMode = 'fim',
    nextEdit = 'on',
  },
  on_init = function(client)
    -- Ask for the next edit after changes (copilot-lsp's debounce: vim.g.copilot_nes_debounce).
    require('copilot-lsp.nes').lsp_on_init(client, vim.api.nvim_create_augroup('ghostls_nes', {}))
  end,
})
vim.lsp.enable('copilot_ghostls')

-- <Tab> in normal mode jumps to the suggested edit, then applies it and goes to its end.
vim.keymap.set('n', '<Tab>', function()
  if not vim.b[vim.api.nvim_get_current_buf()].nes_state then
    return '<C-i>' -- a terminal sends <Tab> as <C-i>: its usual job
  end
  local nes = require('copilot-lsp.nes')
  local _ = nes.walk_cursor_start_edit() or (nes.apply_pending_nes() and nes.walk_cursor_end_edit())
end, { expr = true, desc = 'Go to or apply the next edit suggestion' })
