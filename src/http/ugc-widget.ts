// The embeddable UGC widget: one script tag on the merchant's page,
//   <script src="https://sentang.example/public/{slug}/ugc/widget.js" data-product="latte" async></script>
// renders the approved, consented feed after itself (or into data-target). Everything a member
// wrote is set as text, never as HTML.
export function ugcWidgetScript(slug: string): string {
  return `(function () {
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var product = script.getAttribute('data-product');
  var limit = script.getAttribute('data-limit') || '12';
  var target = script.getAttribute('data-target') ? document.querySelector(script.getAttribute('data-target')) : null;
  if (!target) { target = document.createElement('div'); script.parentNode.insertBefore(target, script.nextSibling); }
  target.className = (target.className ? target.className + ' ' : '') + 'sentang-ugc';
  var url = origin + '/public/${encodeURIComponent(slug)}/ugc?limit=' + encodeURIComponent(limit) + (product ? '&productId=' + encodeURIComponent(product) : '');
  function el(tag, text, style) { var node = document.createElement(tag); if (text) node.textContent = text; if (style) node.style.cssText = style; return node; }
  fetch(url).then(function (response) { return response.json(); }).then(function (feed) {
    target.style.cssText = 'display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px;font-family:system-ui,sans-serif';
    (feed.items || []).forEach(function (item) {
      var card = el('figure', null, 'margin:0;border:1px solid #e5e5e5;border-radius:8px;padding:8px;background:#fff');
      card.setAttribute('data-ugc-id', item.id);
      var media = item.mediaPath ? origin + item.mediaPath : item.mediaUrl;
      if (media && item.kind === 'photo') { var img = el('img', null, 'width:100%;border-radius:6px'); img.src = media; img.alt = item.text || ''; img.loading = 'lazy'; card.appendChild(img); }
      if (media && item.kind === 'video') { var video = el('video', null, 'width:100%;border-radius:6px'); video.src = media; video.controls = true; card.appendChild(video); }
      if (item.rating) card.appendChild(el('div', '\\u2605\\u2605\\u2605\\u2605\\u2605'.slice(0, item.rating) + '\\u2606\\u2606\\u2606\\u2606\\u2606'.slice(item.rating), 'color:#e8a400'));
      if (item.text) card.appendChild(el('p', item.text, 'margin:6px 0;overflow-wrap:anywhere'));
      if (item.postUrl) { var link = el('a', 'View post'); link.href = item.postUrl; link.target = '_blank'; link.rel = 'noopener noreferrer'; card.appendChild(link); }
      card.appendChild(el('figcaption', item.author, 'color:#666;font-size:12px'));
      target.appendChild(card);
    });
  }).catch(function () { /* the shop's page stays as it was */ });
})();
`;
}
