import { AppError } from '@/lib/errors';
import { callerScope } from '@/lib/access';
import { handle } from '@/lib/http';
import { listParamsSchema, paramsRecord } from '@/lib/schemas';
import { getSource } from '@/lib/sources';

export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const params = paramsRecord(new URL(request.url).searchParams);
    const parsed = listParamsSchema.safeParse(params);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'bad_request',
        `Invalid parameter ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const result = await getSource().list(await callerScope(), parsed.data);
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  });
}
