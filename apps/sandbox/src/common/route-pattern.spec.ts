import { RoutePattern } from './route-pattern';

describe('RoutePattern', () => {
  it('matches method and path with :params, * and ** ignoring case', () => {
    const pattern = RoutePattern.parse('POST /v4/programs/:programId/masspayouts');
    expect(pattern.matchesRequest('POST', '/v4/programs/123/masspayouts')).toBe(true);
    expect(pattern.matchesRequest('GET', '/v4/programs/123/masspayouts')).toBe(false);
    expect(pattern.matchesRequest('POST', '/v4/programs/123/payouts')).toBe(false);
    expect(
      RoutePattern.parse('GET /ordering/**').matchesRequest('get', '/Ordering/SalesOrder/ID/4'),
    ).toBe(true);
    expect(
      RoutePattern.parse('/api/resource/*').matchesRequest('DELETE', '/api/resource/Journal Entry'),
    ).toBe(true);
    expect(
      RoutePattern.parse('/api/resource/*').matchesRequest(
        'GET',
        '/api/resource/Journal Entry/ACC-JV-2026-00001',
      ),
    ).toBe(false);
  });

  it('matches event names by glob and everything with *', () => {
    expect(RoutePattern.parse('order.*').matchesEvent('order.status_changed')).toBe(true);
    expect(RoutePattern.parse('order.*').matchesEvent('payment.processed')).toBe(false);
    expect(RoutePattern.parse('order.*').matchesRequest('GET', '/order.x')).toBe(false);
    expect(RoutePattern.parse('*').matchesRequest('PUT', '/anything')).toBe(true);
    expect(RoutePattern.parse('*').matchesEvent('CancelPayout')).toBe(true);
  });

  it('explains a pattern it cannot parse', () => {
    expect(() => RoutePattern.parse('FETCH /x')).toThrow('unknown HTTP method "FETCH"');
    expect(() => RoutePattern.parse('GET x')).toThrow('must start with "/"');
  });
});
