import { defineAction } from '@switchboard/connector-sdk';

import { programPath } from '../payoneer-paths';

export interface ExchangeRate {
  sourceCurrency: string;
  targetCurrency: string;
  /** Units of target currency per unit of source currency, as a decimal string. */
  rate: string;
}

/**
 * Payoneer's rate between two currencies. The route is the sandbox's (payoneer.md found no FX
 * endpoint): prefer the rate carried on each record (`fxRate` of a received payment).
 */
export const getExchangeRate = defineAction<
  { sourceCurrency: string; targetCurrency: string },
  ExchangeRate
>({
  name: 'getExchangeRate',
  title: 'Get an exchange rate',
  input: {
    type: 'object',
    required: ['sourceCurrency', 'targetCurrency'],
    additionalProperties: false,
    properties: {
      sourceCurrency: { type: 'string', pattern: '^[A-Z]{3}$' },
      targetCurrency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  },
  output: {
    type: 'object',
    required: ['sourceCurrency', 'targetCurrency', 'rate'],
    properties: {
      sourceCurrency: { type: 'string' },
      targetCurrency: { type: 'string' },
      rate: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?$' },
    },
  },
  examples: [{ name: 'EUR to USD', input: { sourceCurrency: 'EUR', targetCurrency: 'USD' } }],
  async run(input, { http, settings }) {
    const response = await http.get<{ result: { rate: string | number } }>(
      programPath(settings, 'exchange-rates'),
      { query: { source_currency: input.sourceCurrency, target_currency: input.targetCurrency } },
    );
    return { ...input, rate: String(response.body.result.rate) };
  },
});
