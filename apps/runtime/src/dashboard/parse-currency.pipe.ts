import { BadRequestException, type PipeTransform } from '@nestjs/common';

/** A currency in a route: an ISO 4217 code in upper case, else 400 naming the value. */
export class ParseCurrencyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Z]{3}$/.test(value)) {
      throw new BadRequestException(`currency "${value}" is not an ISO 4217 code such as EUR`);
    }
    return value;
  }
}
