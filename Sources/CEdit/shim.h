// Non-variadic wrappers over libedit's native API, which Swift cannot call directly.
#include <stdio.h>
#include <wchar.h>
#include <histedit.h>

typedef unsigned char (*cedit_fn_t)(EditLine *, int);

static inline int cedit_set_prompt(EditLine *e, char *(*f)(EditLine *)) { return el_set(e, EL_PROMPT, f); }
static inline int cedit_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int cedit_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int cedit_set_getc(EditLine *e, el_rfunc_t f) { return el_set(e, EL_GETCFN, f); }
static inline int cedit_set_clientdata(EditLine *e, void *d) { return el_set(e, EL_CLIENTDATA, d); }
static inline void *cedit_get_clientdata(EditLine *e) { void *d = NULL; el_get(e, EL_CLIENTDATA, &d); return d; }
static inline int cedit_add_fn(EditLine *e, const char *name, const char *help, cedit_fn_t f) {
    return el_set(e, EL_ADDFN, name, help, f);
}
static inline int cedit_bind(EditLine *e, const char *key, const char *fn) { return el_set(e, EL_BIND, key, fn, NULL); }
static inline int cedit_set_hist(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }

static inline int cedit_hist_setsize(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int cedit_hist_setunique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }
static inline int cedit_hist_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int cedit_hist_load(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_LOAD, path); }
static inline int cedit_hist_save(History *h, const char *path) { HistEvent ev; return history(h, &ev, H_SAVE, path); }
static inline int cedit_hist_clear(History *h) { HistEvent ev; return history(h, &ev, H_CLEAR); }

static inline const char *cedit_line_buffer(EditLine *e) { return el_line(e)->buffer; }
static inline long cedit_line_cursor(EditLine *e) { const LineInfo *li = el_line(e); return li->cursor - li->buffer; }
