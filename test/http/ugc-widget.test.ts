// The widget runs in the merchant's page; here it runs in a small stand-in for one (node:vm with a
// fake DOM and fetch), which is enough to check what it asks for and what it builds. Browser tests
// of the web apps come with the dashboard.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ugcWidgetScript } from '../../src/http/ugc-widget';

interface FakeNode { tag: string; textContent: string; attributes: Record<string, string>; children: FakeNode[]; style: { cssText: string }; [key: string]: unknown }

function fakeNode(tag: string): FakeNode {
  const node: FakeNode = {
    tag, textContent: '', attributes: {}, children: [], style: { cssText: '' }, className: '',
    setAttribute(name: string, value: string) { node.attributes[name] = value; },
    getAttribute(name: string) { return node.attributes[name] ?? null; },
    appendChild(child: FakeNode) { node.children.push(child); return child; },
    insertBefore(child: FakeNode) { node.children.push(child); return child; },
  };
  return node;
}

describe('UGC widget', () => {
  it('fetches the feed for its product and renders member text as text only', async () => {
    const parent = fakeNode('body');
    const script = fakeNode('script');
    Object.assign(script, { src: 'https://loyalty.cafe.example/public/demo/ugc/widget.js', parentNode: parent, nextSibling: null });
    script.attributes['data-product'] = 'latte & more';
    const requested: string[] = [];
    const feed = { items: [
      { id: 'ugc_1', kind: 'photo', mediaPath: '/public/demo/ugc/ugc_1/media', mediaUrl: null, postUrl: null, rating: 4, text: '<img src=x onerror=alert(1)>', author: 'Nok' },
      { id: 'ugc_2', kind: 'social_post', mediaPath: null, mediaUrl: null, postUrl: 'https://www.instagram.com/p/abc/', rating: null, text: null, author: 'Bee' },
    ] };
    const context = vm.createContext({
      URL, encodeURIComponent,
      document: { currentScript: script, createElement: fakeNode, querySelector: () => null },
      fetch: async (url: string) => { requested.push(url); return { json: async () => feed }; },
    });
    vm.runInContext(ugcWidgetScript('demo'), context);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requested).toEqual(['https://loyalty.cafe.example/public/demo/ugc?limit=12&productId=latte%20%26%20more']);
    const container = parent.children[0] as FakeNode;
    expect(container.className).toBe('sentang-ugc');
    const [photo, post] = container.children as [FakeNode, FakeNode];
    expect(photo.attributes['data-ugc-id']).toBe('ugc_1');
    expect(photo.children.map((child) => child.tag)).toEqual(['img', 'div', 'p', 'figcaption']);
    expect(photo.children[0]?.src).toBe('https://loyalty.cafe.example/public/demo/ugc/ugc_1/media');
    expect(photo.children[1]?.textContent).toBe('★★★★☆');
    expect(photo.children[2]?.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(photo.children[2]?.children).toEqual([]);
    expect(post.children[0]).toMatchObject({ tag: 'a', href: 'https://www.instagram.com/p/abc/', rel: 'noopener noreferrer' });
  });
});
