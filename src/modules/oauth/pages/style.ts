/** The bank's customer pages' one stylesheet, served from this origin (the CSP allows nothing inline). */
export const AUTHORIZE_CSS = `
:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#eef1f5;color:#1b2330}
main{box-sizing:border-box;width:min(28rem,100% - 2rem);margin:1rem;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 2px 12px #0002}
.badge{display:inline-block;margin:0 0 1rem;padding:.2rem .6rem;border-radius:999px;background:#fff3cd;color:#6b4f00;font-size:.8rem;font-weight:600}
h1{margin:0 0 .5rem;font-size:1.3rem}
p{line-height:1.45}
label{display:block;margin:.8rem 0 .3rem;font-weight:600}
input{box-sizing:border-box;width:100%;padding:.6rem;border:1px solid #c4cbd4;border-radius:8px;font:inherit}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem 1rem;margin:1rem 0;padding:1rem;background:#f6f8fa;border-radius:8px}
dt{color:#5b6573}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
ul.scopes{margin:.3rem 0;padding-left:1.2rem}
form{margin:.8rem 0}
.actions{display:grid;grid-template-columns:1fr 1fr;gap:.6rem}
button{width:100%;margin-top:1rem;padding:.7rem;border:1px solid #c4cbd4;border-radius:8px;background:#fff;color:inherit;font:inherit;cursor:pointer}
button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff;font-weight:600}
.error{padding:.6rem .8rem;border-radius:8px;background:#fdecea;color:#8a1c14}
.note{color:#5b6573;font-size:.85rem}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}main{background:#161b22}dl{background:#0d1117}dt,.note{color:#9da7b3}button,input{background:#21262d;border-color:#30363d;color:inherit}.error{background:#3d1512;color:#ffb4a9}}
`;

export const AUTHORIZE_CSS_PATH = "/authorize/assets/authorize.css";
