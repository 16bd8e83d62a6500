export function ErrorNotice({ title, message }: { title: string; message: string }) {
  return (
    <div role="alert" className="rounded border border-red-900 bg-red-950/40 p-6">
      <h2 className="mb-1 font-semibold text-red-200">{title}</h2>
      <p className="text-sm text-red-100/80">{message}</p>
    </div>
  );
}
