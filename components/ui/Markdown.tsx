import ReactMarkdown from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';

interface MdNode {
  type: string;
  children?: MdNode[];
}

/**
 * Raw HTML in a description is shown as the text it is, not dropped and never rendered: someone who
 * pastes `<b>` or a script tag sees exactly what they pasted.
 */
function htmlAsText() {
  const walk = (node: MdNode): void => {
    if (node.type === 'html') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

const REMARK_PLUGINS = [htmlAsText];
// Defence in depth: react-markdown already escapes text and drops unsafe link protocols; the
// sanitizer (GitHub's allow-list) strips anything else that is not plain, safe markup.
const REHYPE_PLUGINS = [rehypeSanitize];

const STYLE =
  'space-y-2 text-sm leading-relaxed text-slate-800 break-words [&_a]:text-sky-700 [&_a]:underline [&_blockquote]:border-l-4 [&_blockquote]:border-slate-200 [&_blockquote]:pl-3 [&_blockquote]:text-slate-600 [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_code]:text-xs [&_h1]:text-base [&_h1]:font-semibold [&_h2]:font-semibold [&_h3]:font-semibold [&_ol]:list-decimal [&_ol]:pl-5 [&_pre]:overflow-x-auto [&_pre]:rounded-lg [&_pre]:bg-slate-100 [&_pre]:p-2 [&_ul]:list-disc [&_ul]:pl-5';

/** A card description as Markdown, sanitized. */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  return (
    <div className={STYLE} data-testid={testId}>
      <ReactMarkdown remarkPlugins={REMARK_PLUGINS} rehypePlugins={REHYPE_PLUGINS}>
        {source}
      </ReactMarkdown>
    </div>
  );
}
