'use client';
import ReactMarkdown from 'react-markdown';

/** Markdown without raw HTML (react-markdown drops it) and with its default URL filter (no javascript:). */
export default function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown text-sm">
      <ReactMarkdown skipHtml>{text}</ReactMarkdown>
    </div>
  );
}
