;;; scenario.el --- eglot and ghostls in batch, after editors/emacs/init.el  -*- lexical-binding: t -*-

;; Visits the files the test wrote in $EDITOR_TEST_DIR as a person would (the major mode's hook
;; starts eglot), then:
;;   - add.py: asks `eglot-completion-at-point' at the end of "    return a", and completes
;;     with `completion-at-point';
;;   - shapes.py: runs the "quickfix" code action on a diagnostic, and picks "Implement with AI"
;;     among the refactor.rewrite code actions.
;; Prints what it saw as one JSON object on stdout; each step's error is recorded, not fatal.

(require 'eglot)
(require 'flymake)

(defvar scenario-results nil "The plist printed at the end.")

(defun scenario-record (key value)
  (setq scenario-results (plist-put scenario-results key value)))

(defmacro scenario-step (key &rest body)
  "Record BODY's value under KEY, or its error under KEY-error."
  `(condition-case err
       (scenario-record ,key (progn ,@body))
     (error (scenario-record (intern (format "%s-error" ,key))
                             (error-message-string err)))))

(defun scenario-wait (predicate what)
  "Process events until PREDICATE holds, for at most 20 s."
  (let ((deadline (+ (float-time) 20)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline)
        (error "Timed out waiting for %s" what))
      (accept-process-output nil 0.02))))

(defun scenario-visit (name)
  "Visit NAME in the test folder and wait until eglot manages the buffer."
  (find-file (expand-file-name name (getenv "EDITOR_TEST_DIR")))
  (run-hooks 'post-command-hook)        ; `eglot-ensure' connects on the next command
  (scenario-wait (lambda () (bound-and-true-p eglot--managed-mode)) "eglot"))

(defun scenario-goto (line column)
  "Go to 0-based LINE and COLUMN."
  (goto-char (point-min))
  (forward-line line)
  (forward-char column))

(defun scenario-buffer-lines ()
  (vconcat (split-string (buffer-substring-no-properties (point-min) (point-max)) "\n")))

(scenario-step
 :completion
 (scenario-visit "add.py")
 (scenario-goto 1 12)
 (let* ((capf (eglot-completion-at-point))
        (start (nth 0 capf))
        (table (nth 2 capf))
        (annotate (plist-get (nthcdr 3 capf) :annotation-function))
        (typed (buffer-substring-no-properties start (point)))
        (candidates (all-completions typed table)))
   (list :typed typed
         :candidates (vconcat candidates)
         :annotations (vconcat (mapcar annotate candidates)))))

(scenario-step
 :completed
 (completion-at-point)                  ; a single candidate: inserted and its edit applied
 (scenario-buffer-lines))

(scenario-step
 :quickfix
 (scenario-visit "shapes.py")
 ;; eglot takes a code action's diagnostics from those its server published; ghostls publishes
 ;; none, so the one a linter would report is handed to eglot as if its server had.
 (flymake-start)
 (scenario-wait (lambda () (memq 'eglot-flymake-backend (flymake-running-backends)))
                "the eglot flymake backend")
 (eglot-handle-notification
  (eglot-current-server) 'textDocument/publishDiagnostics
  :uri (eglot-path-to-uri buffer-file-name)
  :diagnostics `[(:range (:start (:line 4 :character 26) :end (:line 4 :character 28))
                         :severity 1 :source "pyflakes" :code "F821"
                         :message "undefined name 'rr'")])
 (scenario-wait (lambda () (flymake-diagnostics)) "the diagnostic")
 (scenario-goto 4 26)
 (eglot-code-actions (point) (1+ (point)) "quickfix" t)
 (scenario-buffer-lines))

(scenario-step
 :implement
 (scenario-goto 7 0)
 (let ((last-nonmenu-event ?\r)         ; invoked from the keyboard: a menu in the minibuffer
       offered)
   (cl-letf (((symbol-function 'completing-read)
              (lambda (_prompt items &rest _)
                (setq offered (mapcar #'car items))
                (seq-find (lambda (title) (string-prefix-p "Implement" title)) offered))))
     (condition-case err
         (eglot-code-actions (point) nil "refactor.rewrite" t)
       (error (error "%s; offered: %S" (error-message-string err) offered))))
   (list :offered (vconcat offered) :lines (scenario-buffer-lines))))

(princ (json-serialize scenario-results))
(terpri)
(kill-emacs 0)
